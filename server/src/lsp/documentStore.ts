// Open documents: LSP incremental changes turned into offset edits on each document's text, tree and line index.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { IncrementalDocument, type DocumentEdit } from '../syntax/incrementalDocument';
import type { PythonParser } from '../syntax/syntaxTypes';
import { LineIndex } from './lineIndex';

export class OpenDocument {
  readonly syntax: IncrementalDocument;
  private index: LineIndex;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    text: string,
    parser: PythonParser,
  ) {
    this.syntax = new IncrementalDocument(parser, text);
    this.index = new LineIndex(text);
  }

  get text(): string {
    return this.syntax.text;
  }

  get lines(): LineIndex {
    return this.index;
  }

  /**
   * Applies LSP content changes in order. Each range is relative to the text left by the previous change,
   * so offsets are computed one change at a time; the tree is reparsed once, for the whole batch.
   */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    let pending: DocumentEdit[] = [];
    for (const change of changes) {
      if ('range' in change) {
        const { start, end } = this.index.textRangeOf(change.range);
        pending.push({ start, oldEnd: end, newText: change.text });
        this.index.applyEdit(start, end, change.text);
      } else {
        pending = []; // a full replacement makes earlier changes of the batch irrelevant
        this.syntax.replaceText(change.text);
        this.index = new LineIndex(change.text);
      }
    }
    this.syntax.applyEdits(pending);
    this.version = version;
  }

  dispose(): void {
    this.syntax.dispose();
  }
}

export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string, parser: PythonParser): OpenDocument {
    this.documents.get(uri)?.dispose();
    const document = new OpenDocument(uri, languageId, version, text, parser);
    this.documents.set(uri, document);
    return document;
  }

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  /** Forgets the document and releases its tree at once. */
  close(uri: string): boolean {
    const document = this.documents.get(uri);
    if (!document) return false;
    document.dispose();
    this.documents.delete(uri);
    return true;
  }

  all(): OpenDocument[] {
    return [...this.documents.values()];
  }

  has(uri: string): boolean {
    return this.documents.has(uri);
  }
}
