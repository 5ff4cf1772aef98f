/** A copy of `array` with room for `length` elements, the added ones set to `fill`: the tables that stand in for Maps and Sets grow by it. */
export function resized<T extends Int32Array | Float64Array | Int16Array | Uint8Array>(
  array: T,
  length: number,
  fill = 0,
): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array as never);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
