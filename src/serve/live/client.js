// assetlock live reload: swaps an edited stylesheet in place, reloads the page on any other
// change. Served only by debug builds in live mode.
(() => {
  const events = new EventSource(new URL("events", document.currentScript.src));
  events.onmessage = (event) => {
    const changed = new URL(event.data, location.href).pathname;
    let swapped = false;
    if (changed.endsWith(".css")) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const href = new URL(link.href, location.href);
        if (href.pathname === changed) {
          href.searchParams.set("assetlock", Date.now());
          link.href = href.href;
          swapped = true;
        }
      }
    }
    if (!swapped) location.reload();
  };
})();
