/** Builds the greeting shown on the page. */
export function greeting(name) {
  return `Hello from ${name}: this module was imported by its hashed URL.`;
}
