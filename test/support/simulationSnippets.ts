// Small modules the GCL901/902 tests simulate: a collected two-node cycle and an object a finalizer keeps alive.

/** Two nodes referring to each other, dropped on line 8, collected by `gc.collect()` on line 9. */
export const CYCLE_SNIPPET = [
  'import gc',
  'class Node:',
  '    pass',
  'a = Node()',
  'b = Node()',
  'a.next = b',
  'b.next = a',
  'del a, b',
  'gc.collect()',
  '',
].join('\n');

/** `weakref.finalize(r, r.close)`: the bound method keeps `r` (allocated on line 5, dropped on line 7) alive. */
export const FINALIZED_SNIPPET = [
  'import weakref',
  'class Resource:',
  '    def close(self):',
  '        pass',
  'r = Resource()',
  'weakref.finalize(r, r.close)',
  'del r',
  '',
].join('\n');
