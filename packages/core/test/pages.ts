/** Test helper: every item of a Query or Scan, read page after page until DynamoDB says there is no more. */
export async function everyPage<T = Record<string, unknown>>(
  read: (start: Record<string, unknown> | undefined) => Promise<{ Items?: T[]; LastEvaluatedKey?: Record<string, unknown> }>,
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await read(start);
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
