// A Language Server Protocol client for the language server of VS Code's ESLint extension
// (`vscode-eslint-language-server` from vscode-langservers-extracted), playing the part of the
// editor as ../shared/notes/editor-server.md describes: it answers the server's configuration
// requests with the whole settings object, applies the edits the server asks for, and pulls
// diagnostics (the server never pushes them).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  ExitNotification,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type Command,
  type ConfigurationParams,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';

const require = createRequire(import.meta.url);

/** The server's entry point: the package's bin, `vscode-eslint-language-server`. */
function serverPath(): string {
  const manifestPath = require.resolve('vscode-langservers-extracted/package.json');
  const manifest = require(manifestPath) as { bin: Record<string, string> };
  return path.join(path.dirname(manifestPath), manifest.bin['vscode-eslint-language-server']!);
}

/**
 * The settings object the extension sends for a workspace folder: its defaults (a missing
 * `experimental`, `problems`, `codeAction` or `codeActionOnSave` crashes this build of the server),
 * with the `eslint.*` settings of the user's `.vscode/settings.json` over them.
 */
export function extensionSettings(folder: { name: string; uri: string }, userSettings: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: true,
    // On ESLint 10, `experimental.useFlatConfig: true` makes the server load nothing at all.
    experimental: { useFlatConfig: false },
    codeActionOnSave: { mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder: folder,
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    useRealpaths: false,
    bulkSuppression: { enable: false, severity: 'info' },
  };
  for (const [key, value] of Object.entries(userSettings)) {
    if (key.startsWith('eslint.')) settings[key.slice('eslint.'.length)] = value;
  }
  return settings;
}

/** Applies LSP text edits to a text (edits of one version never overlap; applied from the end). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = ({ line, character }: { line: number; character: number }): number => (lineStarts[line] ?? text.length) + character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

/** The text edits a workspace edit makes to one document. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const edits: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) edits.push(...change.edits.filter((e): e is TextEdit => 'range' in e));
  }
  return edits;
}

interface OpenDocument {
  uri: string;
  version: number;
  text: string;
}

export class EslintServer {
  private readonly documents = new Map<string, OpenDocument>();
  /** Every `window/logMessage` and `window/showMessage` of the server, for failure messages. */
  readonly log: string[] = [];
  private refreshRequested = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: MessageConnection,
    readonly folder: { name: string; uri: string },
  ) {}

  /** Starts the server on `workspace` and initialises it as VS Code does. */
  static async start(workspace: string, userSettings: Record<string, unknown> = {}): Promise<EslintServer> {
    const child = spawn(process.execPath, [serverPath(), '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const folder = { name: path.basename(workspace), uri: pathToFileURL(workspace).href };
    const server = new EslintServer(child, connection, folder);
    child.stderr.on('data', (chunk: Buffer) => server.log.push(`[stderr] ${chunk.toString()}`));

    connection.onRequest('workspace/configuration', (params: ConfigurationParams) => params.items.map(() => extensionSettings(folder, userSettings)));
    connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      for (const document of server.documents.values()) {
        const edits = editsFor(params.edit, document.uri);
        if (edits.length > 0) server.pendingEdits.push({ uri: document.uri, text: applyEdits(document.text, edits) });
      }
      return { applied: true };
    });
    connection.onRequest('workspace/diagnostic/refresh', () => {
      server.refreshRequested = true;
      return null;
    });
    // Registrations, progress, the extension's own status requests: acknowledged, nothing more.
    connection.onRequest((method) => {
      server.log.push(`[request] ${method}`);
      return null;
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      server.log.push(params.message);
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      server.log.push(`[showMessage] ${params.message}`);
    });
    connection.onNotification(() => undefined);
    connection.listen();

    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder.uri,
      workspaceFolders: [folder],
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
        textDocument: {
          diagnostic: { dynamicRegistration: false },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll.eslint'] } },
          },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** The documents the server's `workspace/applyEdit` requests rewrote, not yet sent back with `didChange`. */
  readonly pendingEdits: { uri: string; text: string }[] = [];

  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).href;
    this.documents.set(uri, { uri, version: 1, text });
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.documents.get(uri)!.text;
  }

  /** Sends the whole new text of a document, as the editor does after an edit. */
  async change(uri: string, text: string): Promise<void> {
    const document = this.documents.get(uri)!;
    document.version++;
    document.text = text;
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: document.version },
      contentChanges: [{ text }],
    });
  }

  /** Pulls the document's diagnostics (`textDocument/diagnostic`). */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    this.refreshRequested = false;
    const report: DocumentDiagnosticReport = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  /** Whether the server asked for a re-pull since the last one. */
  get refreshPending(): boolean {
    return this.refreshRequested;
  }

  /** The code actions for a diagnostic, which must be the diagnostic exactly as received. */
  async codeActions(uri: string, diagnostic: Diagnostic, only?: string[]): Promise<(CodeAction | Command)[]> {
    const actions = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], ...(only ? { only } : {}) },
    });
    return actions ?? [];
  }

  /** The actions of a kind for the whole document (`source.fixAll.eslint` is what fix on save runs). */
  async sourceActions(uri: string, kind: string): Promise<CodeAction[]> {
    const end = this.text(uri).split('\n').length;
    const actions = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: end, character: 0 } },
      context: { diagnostics: [], only: [kind] },
    });
    return (actions ?? []).filter((action): action is CodeAction => 'kind' in action);
  }

  /** Runs a code action's command (a quick fix); the server answers with `workspace/applyEdit`. */
  async execute(command: Command): Promise<void> {
    await this.connection.sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: command.arguments ?? [] });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null) this.child.kill();
    }
  }
}
