// Reads hover expectations from annotated fixtures (syntax in test/fixtures/hover/README.md).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HOVER_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'hover');

export interface HoverExpectation {
  /** 0-based LSP position of the hovered character. */
  readonly line: number;
  readonly character: number;
  /** `first`: the hover's first line equals `text`; `line`: some line of it does; `none`: no hover at all. */
  readonly kind: 'first' | 'line' | 'none';
  readonly text: string;
  /** 1-based line of the marker, for messages. */
  readonly markerLine: number;
}

export interface HoverFixture {
  readonly name: string;
  readonly text: string;
  readonly settings: Record<string, unknown>;
  readonly expectations: readonly HoverExpectation[];
}

const MARKER = /^(\s*#\s*)(\^|<-)\s+(hover\+?|no-hover)(?::\s?(.*))?$/;
const SETTINGS = /^#\s*hover-settings:\s*(\{.*\})\s*$/;

export function readHoverFixture(file: string): HoverFixture {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const expectations: HoverExpectation[] = [];
  let settings: Record<string, unknown> = {};
  let target = -1;
  lines.forEach((line, index) => {
    const settingsMatch = SETTINGS.exec(line);
    if (settingsMatch) settings = JSON.parse(settingsMatch[1]) as Record<string, unknown>;
    const match = MARKER.exec(line);
    if (!match) {
      target = index;
      return;
    }
    if (target < 0) throw new Error(`${file}:${index + 1}: a hover marker needs a code line above it`);
    const character = match[2] === '<-' ? 0 : match[1].length;
    const kind = match[3] === 'no-hover' ? 'none' : match[3] === 'hover+' ? 'line' : 'first';
    expectations.push({ line: target, character, kind, text: (match[4] ?? '').trimEnd(), markerLine: index + 1 });
  });
  return { name: path.basename(file), text, settings, expectations };
}

export function hoverFixtureFiles(): string[] {
  return fs.readdirSync(HOVER_FIXTURES).filter((name) => name.endsWith('.py')).sort().map((name) => path.join(HOVER_FIXTURES, name));
}
