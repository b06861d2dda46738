/** Loaded with a dynamic import() once the page has rendered. */
export function describe(path) {
  const name = path.split("/").pop();
  return `A dynamic import() loaded too; the logo is served as ${name}.`;
}
