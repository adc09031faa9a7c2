/**
 * "3 strengths"-style counts with the right plural.
 * @example plural(1, 'vote') // '1 vote'; plural(2, 'person', 'people') // '2 people'
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
