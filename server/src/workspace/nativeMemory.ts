// Keeps long scans' memory bounded: the native trees dropped by the analysis are freed only by V8's full collections.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let fullCollection: (() => void) | null | undefined;

/** V8's full collection, exposed once for this process (`--expose-gc` set at run time); null if refused. */
function collector(): (() => void) | null {
  if (fullCollection === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      fullCollection = vm.runInNewContext('gc') as () => void;
    } catch {
      fullCollection = null;
    }
  }
  return fullCollection;
}

/**
 * The native binding frees a tree only when the JS objects of the tree and of every node handed out from it
 * are collected, and those survive V8's minor collections: between two full collections, which V8 schedules by
 * its own (small) heap, a scan of CPython's Lib piled up 350–900 MB of dropped trees. One full collection every
 * `everyDocuments` documents holds the whole corpus under ~200 MB at a few percent of CPU (measured by
 * `npm run bench`; call `afterDocument` once per document analysed).
 */
export class NativeMemoryGuard {
  private sinceCollection = 0;

  constructor(private readonly everyDocuments = 48) {}

  afterDocument(): void {
    if (++this.sinceCollection < this.everyDocuments) return;
    this.sinceCollection = 0;
    collector()?.();
  }
}
