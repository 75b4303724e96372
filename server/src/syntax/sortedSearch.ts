// Binary searches over ascending offsets: which stored sites or statements fall in a range, without a scan.

/** The first index of ascending `values` (from `low` on) whose value is at least `at` (`values.length`: none). */
export function firstAtOrAfter(values: readonly number[], at: number, low = 0): number {
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index of ascending `values` whose value is greater than `at`: the one before it is the last at or before `at`. */
export function firstAfter(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}
