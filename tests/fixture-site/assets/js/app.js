// Fixture script
export function greet(name) {
  return `Hello, ${name}!`;
}
document.body.dataset.greeting = greet("fixture");
