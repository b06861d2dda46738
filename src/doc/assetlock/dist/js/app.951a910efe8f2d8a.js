// The demo build's script: long enough to get a gzip variant.
export function greet(name) {
  const greeting = `Hello, ${name}! This page was served with assetlock.`;
  document.querySelector("#greeting").textContent = greeting;
  return greeting;
}

export function farewell(name) {
  const message = `Goodbye, ${name}! Every asset had a content-hashed URL.`;
  document.querySelector("#greeting").textContent = message;
  return message;
}
