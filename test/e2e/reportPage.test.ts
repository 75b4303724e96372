// The simulation report page in headless Chromium (Debian's chromium + playwright-core): no console errors, no
// network, the two-node cycle drawn and highlighted, the slider replaying refcounts; screenshots in test-results/e2e/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml } from '../../server/src/report/reportHtml';
import { buildReportModel, FREED } from '../../server/src/report/reportModel';
import type { SimulationResult } from '../../server/src/simulator/simulatorTypes';
import { CYCLE_PROGRAM, simulateTraced } from '../report/reportPrograms';
import { launchChromium } from './support/codeServer';
import { requireTools, resultsPath } from './support/e2eTools';

describe('the simulation report in headless Chromium', () => {
  let scratch: string;
  let browser: Browser | undefined;
  let page: Page;
  let result: SimulationResult;
  const consoleProblems: string[] = [];
  const requests: string[] = [];
  let pageUrl: string;

  before(async () => {
    requireTools('chromium');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-report-'));
    result = await simulateTraced(CYCLE_PROGRAM);
    const file = path.join(scratch, 'cycle.html');
    fs.writeFileSync(file, renderReportHtml(result, { fileName: 'cycle.py', targetVersion: '3.12', source: CYCLE_PROGRAM, nonce: 'dGVzdC1ub25jZQ' }));
    pageUrl = pathToFileURL(file).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pageUrl);
    await page.waitForFunction("document.body.hasAttribute('data-position')");
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('loads with no console errors (CSP violations included) and requests nothing but itself', () => {
    assert.deepEqual(consoleProblems, []);
    assert.deepEqual(requests, [pageUrl]);
  });

  it('draws the two-node cycle highlighted, its references in the cycle colour, and the weak reference dashed', async () => {
    const cycleNodes = await page.locator('g.node.object.cycle').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node')).sort());
    assert.deepEqual(cycleNodes, ['Node#1', 'Node#2']);
    const cycleEdges = await page.locator('g.edge.cycle').evaluateAll((edges) => edges.map((e) => `${e.getAttribute('data-from')}->${e.getAttribute('data-to')} ${e.textContent}`).sort());
    assert.deepEqual(cycleEdges, ["Node#1->Node#2 attribute 'next'", "Node#2->Node#1 attribute 'next'"]);
    const weak = page.locator('g.edge.weak path');
    assert.equal(await page.locator('g.edge.weak').getAttribute('data-to'), 'Node#1');
    // Computed styles prove the nonce'd stylesheet applied under the CSP.
    const style = async (selector: string, property: string): Promise<string> => String(await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`));
    assert.ok((await weak.count()) === 1);
    assert.notEqual(await style('g.edge.weak path', 'strokeDasharray'), 'none');
    const stroke = (selector: string): Promise<string> => style(selector, 'stroke');
    assert.equal(await stroke('g.node.cycle rect'), await stroke('g.edge.cycle path'), 'cycle nodes are drawn in the cycle colour');
    assert.notEqual(await stroke('g.node.cycle rect'), await stroke('g.node.object:not(.cycle) rect'), 'and other nodes are not');
    assert.notEqual(await stroke('g.edge.cycle path'), await stroke('g.edge:not(.cycle):not(.weak) path'));
    assert.match((await page.locator('.legend').textContent()) ?? '', /1 reference cycle: Node#1 ⇄ Node#2/);
  });

  it('the slider replays Node#1\'s refcount exactly as the event trace has it, step by step', async () => {
    const model = buildReportModel(result);
    const node1 = model.nodes.findIndex((node) => node.id === 'Node#1');
    // Independent of the page: the last incref/decref/allocate/free of Node#1 at or before each position's step.
    const expected = model.positions.map((position) => {
      let state = 'not yet allocated';
      for (const event of result.events) {
        if (event.step > position.step) break;
        if (!('object' in event) || event.object !== 'Node#1' || event.line <= 0) continue;
        if (event.kind === 'allocate') state = 'refcount 1';
        else if (event.kind === 'incref' || event.kind === 'decref') state = `refcount ${event.refcount}`;
        else if (event.kind === 'free') state = 'freed';
      }
      return state;
    });
    const shown: string[] = [];
    const slider = page.locator('#step-slider');
    for (let position = 0; position < model.positions.length; position++) {
      await slider.fill(String(position));
      shown.push((await page.locator('g.node[data-node="Node#1"] .node-rc').textContent()) ?? '');
    }
    assert.deepEqual(shown, expected);
    assert.ok(shown.includes('refcount 2') && shown.includes('refcount 1') && shown.includes('freed') && shown[0] === 'not yet allocated', shown.join(' | '));
    assert.ok(model.positions.some((p) => p.changes.some(([n, count]) => n === node1 && count === FREED)));
  });

  it('the slider shows a reference only while it exists: hidden before `a.next = b`, shown from there, gone once freed', async () => {
    const model = buildReportModel(result);
    const next = model.edges.find((edge) => edge.from === 'Node#1' && edge.to === 'Node#2')!;
    const appears = next.toggles[0];
    assert.ok(appears > 0 && model.positions[appears].line === 12, `the model stores it at line 12: ${JSON.stringify(next.toggles)}`);
    const drawn = page.locator('g.edge[data-from="Node#1"][data-to="Node#2"]');
    const globalA = page.locator(`g.edge[data-from="global 'a'"][data-to="Node#1"]`);
    const slider = page.locator('#step-slider');
    const visibleAt = async (position: number): Promise<[boolean, boolean]> => {
      await slider.fill(String(position));
      return [await drawn.isVisible(), await globalA.isVisible()];
    };
    assert.deepEqual(await visibleAt(0), [false, false], 'nothing stored yet');
    assert.deepEqual(await visibleAt(appears - 1), [false, true], 'a is bound, a.next not yet');
    assert.deepEqual(await visibleAt(appears), [true, true]);
    const deleted = model.positions.findIndex((position) => position.line === 15);
    assert.deepEqual(await visibleAt(deleted + 1), [true, false], 'del a, b: the names go, the cycle stays');
    assert.deepEqual(await visibleAt(model.positions.length - 1), [false, false], 'the collection freed both ends');
  });

  it('each position lists its events, its source line and the output so far; screenshot', async () => {
    const model = buildReportModel(result);
    const collection = model.positions.findIndex((p) => p.events.some((e) => e.startsWith('collection of generation 2 starts')));
    assert.ok(collection > 0);
    await page.locator('#step-slider').fill(String(collection));
    const events = await page.locator('#step-events li').allTextContents();
    assert.ok(events.includes('weakref callback of ReferenceType#1 runs') && events.includes('finalizer (__del__) of Node#1 runs'), events.join(' | '));
    assert.equal(await page.locator('#source-line').textContent(), '16 │ print("collected", gc.collect())');
    assert.equal(await page.locator('#output').textContent(), 'callback\n');
    const row = page.locator(`#refcount-rows tr[data-row-index="${model.nodes.findIndex((node) => node.id === 'Node#1')}"]`);
    assert.deepEqual(await row.locator('td').allTextContents(), ['Node#1', '3']);
    await page.screenshot({ path: resultsPath('report-collection.png'), fullPage: true });
    const bothAlive = model.positions.findIndex((p) => p.line === 14);
    await page.locator('#step-slider').fill(String(bothAlive));
    assert.equal(await page.locator('g.node[data-node="Node#2"] .node-rc').textContent(), 'refcount 2');
    await page.screenshot({ path: resultsPath('report-cycle.png'), fullPage: true });
  });
});
