/**
 * The client capabilities other editors declare, for protocol tests of what the server sends
 * them. Neovim's is `vim.lsp.protocol.make_client_capabilities()` of Neovim 0.7.2 (Debian
 * bookworm), printed by `nvim --headless -u NONE`; eglot's is `eglot-client-capabilities` of eglot
 * 1.9 (Debian `elpa-eglot`) without yasnippet and markdown-mode, as a new user has it.
 */
import type { ClientCapabilities } from 'vscode-languageserver-protocol';

const SYMBOL_KINDS = Array.from({ length: 26 }, (_, index) => (index + 1) as 1);
const COMPLETION_KINDS = Array.from({ length: 25 }, (_, index) => (index + 1) as 1);

/** Neovim 0.7 also sends a top-level `callHierarchy` (misplaced; not in the type), left out. */
export const NEOVIM_0_7_CAPABILITIES: ClientCapabilities = {
  window: {
    showDocument: { support: false },
    showMessage: { messageActionItem: { additionalPropertiesSupport: false } },
    workDoneProgress: true,
  },
  workspace: {
    workspaceFolders: true,
    workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
    symbol: {
      symbolKind: { valueSet: SYMBOL_KINDS },
      dynamicRegistration: false,
    },
    applyEdit: true,
  },
  textDocument: {
    documentSymbol: {
      symbolKind: { valueSet: SYMBOL_KINDS },
      dynamicRegistration: false,
      hierarchicalDocumentSymbolSupport: true,
    },
    references: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    rename: { prepareSupport: true, dynamicRegistration: false },
    declaration: { linkSupport: true },
    completion: {
      completionItem: {
        snippetSupport: false,
        commitCharactersSupport: false,
        preselectSupport: false,
        deprecatedSupport: false,
        documentationFormat: ['markdown', 'plaintext'],
      },
      contextSupport: false,
      dynamicRegistration: false,
      completionItemKind: { valueSet: COMPLETION_KINDS },
    },
    codeAction: {
      dataSupport: true,
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: [
            '',
            'Empty',
            'QuickFix',
            'Refactor',
            'RefactorExtract',
            'RefactorInline',
            'RefactorRewrite',
            'Source',
            'SourceOrganizeImports',
            'quickfix',
            'refactor',
            'refactor.extract',
            'refactor.inline',
            'refactor.rewrite',
            'source',
            'source.organizeImports',
          ],
        },
      },
      dynamicRegistration: false,
      resolveSupport: { properties: ['edit'] },
    },
    typeDefinition: { linkSupport: true },
    signatureHelp: {
      dynamicRegistration: false,
      signatureInformation: {
        activeParameterSupport: true,
        parameterInformation: { labelOffsetSupport: true },
        documentationFormat: ['markdown', 'plaintext'],
      },
    },
    documentHighlight: { dynamicRegistration: false },
    hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
    synchronization: {
      dynamicRegistration: false,
      willSaveWaitUntil: false,
      willSave: false,
      didSave: true,
    },
    implementation: { linkSupport: true },
    definition: { linkSupport: true },
  },
};

export const EGLOT_1_9_CAPABILITIES: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    executeCommand: { dynamicRegistration: false },
    workspaceEdit: { documentChanges: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    symbol: { dynamicRegistration: false },
    configuration: true,
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: {
      dynamicRegistration: false,
      willSave: true,
      willSaveWaitUntil: true,
      didSave: true,
    },
    completion: {
      dynamicRegistration: false,
      completionItem: {
        snippetSupport: false,
        deprecatedSupport: true,
        tagSupport: { valueSet: [1] },
      },
      contextSupport: true,
    },
    hover: { dynamicRegistration: false, contentFormat: ['plaintext'] },
    signatureHelp: {
      dynamicRegistration: false,
      signatureInformation: {
        parameterInformation: { labelOffsetSupport: true },
        activeParameterSupport: true,
      },
    },
    references: { dynamicRegistration: false },
    definition: { dynamicRegistration: false, linkSupport: true },
    codeAction: {
      dynamicRegistration: false,
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: [
            'quickfix',
            'refactor',
            'refactor.extract',
            'refactor.inline',
            'refactor.rewrite',
            'source',
            'source.organizeImports',
          ],
        },
      },
      isPreferredSupport: true,
    },
    formatting: { dynamicRegistration: false },
    rangeFormatting: { dynamicRegistration: false },
    rename: { dynamicRegistration: false },
    publishDiagnostics: {
      relatedInformation: false,
      codeDescriptionSupport: false,
      tagSupport: { valueSet: [1, 2] },
    },
  },
  experimental: {},
};

/** A client without `workspace/applyEdit` (Helix before 23.03 and minimal clients). */
export const NO_APPLY_EDIT_CAPABILITIES: ClientCapabilities = {
  ...NEOVIM_0_7_CAPABILITIES,
  workspace: { ...NEOVIM_0_7_CAPABILITIES.workspace, applyEdit: false },
};
