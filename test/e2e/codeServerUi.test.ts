// End to end in the UI: the packed .vsix installed into code-server, driven in headless Chromium: squiggle, Problems entry, hover, quick fix; screenshots in test-results/e2e/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { installVsix, launchChromium, startCodeServer, type RunningCodeServer } from './support/codeServer';
import { REPO_ROOT, requireTools, resultsPath } from './support/e2eTools';
import { logLines } from './support/editorLogs';
import { packVsix } from './support/extensionArtifacts';

const EXAMPLE = 'shopping_cart.py';
const SIMULATED = 'simulate_cycle.py';
const UI_TIMEOUT_MS = 60_000;

/** The center of an element, for mouse moves (hover) and clicks that must land on one character. */
async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is laid out');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The warning squiggle drawn on the editor line that shows `lineText`. */
async function squiggleOnLine(page: Page, lineText: string): Promise<Locator> {
  const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  const lineBox = await line.boundingBox();
  assert.ok(lineBox, `the line "${lineText}" is visible`);
  const squiggles = page.locator('.monaco-editor .squiggly-warning');
  for (let index = 0; index < (await squiggles.count()); index++) {
    const box = await squiggles.nth(index).boundingBox();
    if (box && Math.abs(box.y - lineBox.y) < lineBox.height / 2) return squiggles.nth(index);
  }
  assert.fail(`no warning squiggle on the line "${lineText}"`);
}

describe('GC Lens in the code-server UI (installed .vsix, headless Chromium)', () => {
  let scratch: string;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let userDataDir: string;

  before(async () => {
    requireTools('code-server', 'chromium');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-e2e-ui-'));
    userDataDir = path.join(scratch, 'user-data');
    const profile = { userDataDir, extensionsDir: path.join(scratch, 'extensions') };
    installVsix(packVsix(), profile);
    assert.ok(fs.readdirSync(profile.extensionsDir).some((name) => name.startsWith('gclens.gclens-')), 'the .vsix is installed');
    const workspace = path.join(scratch, 'workspace');
    fs.mkdirSync(workspace);
    fs.copyFileSync(path.join(REPO_ROOT, 'examples', EXAMPLE), path.join(workspace, EXAMPLE));
    fs.copyFileSync(path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace', SIMULATED), path.join(workspace, SIMULATED));
    server = await startCodeServer(profile);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(server.workbenchUrl(workspace));
    await page.waitForSelector('.monaco-workbench');
  });

  after(async () => {
    // The last state of the page, also (above all) when a step failed.
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: resultsPath('ui-final.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('opening the example draws warning squiggles under its mutable defaults', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXAMPLE }).click();
    await page.locator('.monaco-editor .view-line', { hasText: 'def add_item' }).waitFor();
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    await squiggleOnLine(page, 'def add_item(item, cart=[]):');
    await page.screenshot({ path: resultsPath('ui-1-squiggles.png') });
  });

  it('the Problems panel lists the findings with their rule code', async () => {
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'Mutable default `[]` for `cart`' }).waitFor();
    const text = await problems.innerText();
    assert.match(text, /GCL001/);
    assert.match(text, /gclens/);
    await page.screenshot({ path: resultsPath('ui-2-problems.png') });
  });

  it('hovering the squiggle shows the finding', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'def add_item' }).click();
    const { x, y } = await centerOf(await squiggleOnLine(page, 'def add_item(item, cart=[]):'));
    await page.mouse.move(x, y);
    const hover = page.locator('.monaco-hover', { hasText: 'is created once and shared by every call of' }).first();
    await hover.waitFor({ state: 'visible' });
    assert.match(await hover.innerText(), /GCL001/);
    await page.screenshot({ path: resultsPath('ui-3-hover.png') });
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('the quick fix menu offers the fix, and choosing it rewrites the default and clears the squiggle', async () => {
    const before = await page.locator('.monaco-editor .squiggly-warning').count();
    const { x, y } = await centerOf(await squiggleOnLine(page, 'def add_item(item, cart=[]):'));
    await page.mouse.click(x, y);
    await page.keyboard.press('Control+Period');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Default `cart` to None' });
    await fix.waitFor({ state: 'visible' });
    assert.ok(await page.locator('.action-widget', { hasText: 'Ignore GCL001 on this line' }).isVisible());
    await page.screenshot({ path: resultsPath('ui-4-quick-fix-menu.png') });
    // The menu takes the keyboard (a pointer block covers the page): move the focus to the fix, then Enter.
    for (let step = 0; step < 5 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); step++) await page.keyboard.press('ArrowDown');
    assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'def add_item(item, cart=None):' }).waitFor();
    await page.locator('.monaco-editor .view-line', { hasText: 'if cart is None:' }).waitFor();
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while ((await page.locator('.monaco-editor .squiggly-warning').count()) >= before && Date.now() < deadline) await page.waitForTimeout(100);
    assert.equal(await page.locator('.monaco-editor .squiggly-warning').count(), before - 1);
    // The Problems panel follows: the fixed finding's row goes, the others stay.
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'Mutable default `[]` for `cart`' }).waitFor({ state: 'detached' });
    assert.equal(await problems.locator('.monaco-list-row', { hasText: 'Mutable default `[]` for `lines`' }).count(), 1);
    await page.screenshot({ path: resultsPath('ui-5-quick-fix-applied.png') });
  });

  it('"GC Lens: Simulate File" from the command palette opens the report with the cycle highlighted, and the trace', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: SIMULATED }).click();
    await page.locator('.monaco-editor .view-line', { hasText: 'b.next = a' }).waitFor();
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('GC Lens: Simulate File');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'GC Lens: Simulate File' }).first().waitFor();
    await page.keyboard.press('Enter');
    // The webview's page sits in two nested iframes (the host frame, then the active frame).
    const report = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await report.locator('g.node.object.cycle').first().waitFor();
    assert.deepEqual((await report.locator('g.node.object.cycle').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node')))).sort(), ['Node#1', 'Node#2']);
    assert.equal(await report.locator('g.edge.cycle').count(), 2);
    const slider = report.locator('#step-slider');
    await slider.fill('0');
    const firstLabel = await report.locator('#step-label').textContent();
    await slider.fill(String(Number(await slider.getAttribute('max')) - 1));
    assert.notEqual(await report.locator('#step-label').textContent(), firstLabel, 'the slider moves through the steps');
    await page.locator('.monaco-editor .view-line', { hasText: '# GC Lens trace:' }).waitFor();
    await page.screenshot({ path: resultsPath('ui-6-simulation-report.png') });
  });

  it('the installed .vsix runs the native parser it carries (no fallback to wasm)', () => {
    assert.deepEqual(logLines(userDataDir, /native tree-sitter unavailable/), []);
    assert.ok(logLines(userDataDir, /GC Lens: parser backend native/).length > 0, 'the GC Lens output channel logged the native backend');
  });
});
