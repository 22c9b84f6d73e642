/**
 * "a, b and c" lists, phrased by the platform rather than by hand. British English: the
 * messages, hovers and titles have no serial comma ("a, b and c", not "a, b, and c").
 */

const AND = new Intl.ListFormat('en-GB', { type: 'conjunction' });
const OR = new Intl.ListFormat('en-GB', { type: 'disjunction' });

/** `a`, `a and b`, `a, b and c` (or `or`). */
export function listPhrase(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return (conjunction === 'and' ? AND : OR).format(items);
}

/** The same list with each item quoted as a JSON string: `"a" and "b"`. */
export function quotedList(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return listPhrase(
    items.map((item) => JSON.stringify(item)),
    conjunction,
  );
}
