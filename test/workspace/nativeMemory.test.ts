// The native-memory guard really runs V8's full collection every N documents (observed through perf_hooks).
import assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { test } from 'node:test';
import { NativeMemoryGuard } from '../../server/src/workspace/nativeMemory';

async function majorCollectionsDuring(action: () => void): Promise<number> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  action();
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
  observer.disconnect();
  const kindOf = (entry: PerformanceEntry): number | undefined => (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  return entries.filter((entry) => kindOf(entry) === constants.NODE_PERFORMANCE_GC_MAJOR).length;
}

test('a full collection runs on the Nth document, not before', async () => {
  const guard = new NativeMemoryGuard(5);
  assert.equal(await majorCollectionsDuring(() => { for (let i = 0; i < 4; i++) guard.afterDocument(); }), 0, 'four documents: none');
  assert.ok(await majorCollectionsDuring(() => guard.afterDocument()) >= 1, 'the fifth: a full collection');
});
