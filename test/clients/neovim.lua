-- Drives the language server from Neovim 0.7's built-in LSP client, headless:
--   nvim --headless -u NONE -c "luafile test/clients/neovim.lua"
-- Environment: SERVER_JS (dist/server.js), MANIFEST (a stripe-app.json copy to edit),
-- RESULT (a JSON file this script writes). Every wait is on the server's answer or
-- notification, with a deadline; the final buffer text goes into RESULT.
local server_js = assert(os.getenv('SERVER_JS'), 'SERVER_JS')
local manifest = assert(os.getenv('MANIFEST'), 'MANIFEST')
local result_file = assert(os.getenv('RESULT'), 'RESULT')
local DEADLINE_MS = 20000
local result = {}

local function write_result()
  local file = assert(io.open(result_file, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function wait_for(what, predicate)
  if not vim.wait(DEADLINE_MS, predicate, 20) then
    error('timed out waiting for ' .. what)
  end
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n'
end

--- The (0-based line, UTF-16 character) right after the first `needle` in the buffer.
local function position_after(bufnr, needle, delta)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  for index, line in ipairs(lines) do
    local start = line:find(needle, 1, true)
    if start then
      local byte_col = start - 1 + #needle + (delta or 0)
      return { line = index - 1, character = vim.str_utfindex(line, byte_col) }
    end
  end
  error('not in the buffer: ' .. needle)
end

local function request(client, bufnr, method, params)
  local response, err = client.request_sync(method, params, DEADLINE_MS, bufnr)
  if err then error(method .. ': ' .. tostring(err)) end
  if response.err then error(method .. ': ' .. vim.inspect(response.err)) end
  return response.result
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(manifest))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'json'
  local uri = vim.uri_from_bufnr(bufnr)

  local published = {}
  local messages = {}
  local client_id = vim.lsp.start_client({
    name = 'stripe-apps',
    cmd = { 'node', server_js, '--stdio' },
    root_dir = vim.fn.fnamemodify(manifest, ':h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
        table.insert(published, params)
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, params, ctx, config)
      end,
      ['window/showMessage'] = function(_, params)
        table.insert(messages, params)
      end,
    },
  })
  assert(client_id, 'the client started')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  wait_for('initialize', function() return client.initialized end)

  -- Diagnostics, pushed once the document is open.
  wait_for('diagnostics', function()
    for _, params in ipairs(published) do
      if params.uri == uri then return true end
    end
    return false
  end)
  local codes = {}
  for _, diagnostic in ipairs(published[#published].diagnostics) do
    table.insert(codes, {
      code = diagnostic.code,
      line = diagnostic.range.start.line,
      character = diagnostic.range.start.character,
    })
  end
  result.diagnostics = codes

  -- Completion on the partial word `cust` inside its quotes: the items a prefix filter keeps,
  -- then the chosen item's text edit applied as the client applies edits.
  local completion = request(client, bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = position_after(bufnr, '"cust"', -1),
  })
  local items = completion.items or completion
  local matched = {}
  local chosen
  for _, item in ipairs(items) do
    if vim.startswith(item.filterText or item.label, 'cust') then
      table.insert(matched, item.label)
      if item.label == 'customer_read' then chosen = item end
    end
  end
  table.sort(matched)
  result.completion = { matched = matched }
  assert(chosen, 'customer_read is offered for cust')
  result.completion.insertTextFormat = chosen.insertTextFormat
  vim.lsp.util.apply_text_edits({ chosen.textEdit }, bufnr, 'utf-16')
  if chosen.additionalTextEdits then
    vim.lsp.util.apply_text_edits(chosen.additionalTextEdits, bufnr, 'utf-16')
  end

  -- Hover on a granted permission.
  local hover = request(client, bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = position_after(bufnr, '"charge_read', -2),
  })
  result.hover = { kind = hover.contents.kind, value = hover.contents.value }

  -- A quick fix for the range alone (no diagnostics in the context, as a range request
  -- without the echoed diagnostics sends), resolved and applied.
  local start = position_after(bufnr, '"customers_write', -3)
  local actions = request(client, bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = start, ['end'] = start },
    context = { diagnostics = {} },
  })
  local fix
  for _, action in ipairs(actions) do
    if action.kind == 'quickfix' then fix = fix or action end
  end
  assert(fix, 'a quick fix for customers_write')
  result.quickFix = fix.title
  if not fix.edit then
    fix = request(client, bufnr, 'codeAction/resolve', fix)
  end
  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')

  -- The code lenses, and the sort lens run through workspace/executeCommand (the server
  -- applies its edit with workspace/applyEdit).
  local lenses = request(client, bufnr, 'textDocument/codeLens', { textDocument = { uri = uri } })
  result.lenses = {}
  local sort
  for _, lens in ipairs(lenses) do
    table.insert(result.lenses, lens.command.title)
    if lens.command.title == 'Sort permissions' then sort = lens.command end
  end
  assert(sort, 'a sort lens')
  result.sort = request(client, bufnr, 'workspace/executeCommand', sort)

  -- Grant with positional arguments, as an editor command line passes them.
  result.grant = request(client, bufnr, 'workspace/executeCommand', {
    command = 'stripeApps.server.grantPermission',
    arguments = { 'invoice_read', 'Lists the invoices of the customer.', uri },
  })

  result.text = buffer_text(bufnr)
  client.stop()
  wait_for('the server to stop', function() return client.is_stopped() end)
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
write_result()
vim.cmd(ok and 'qall!' or 'cquit! 1')
