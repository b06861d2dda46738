// assetlock live reload: swaps an edited stylesheet in place (CSS, or a Sass or Tailwind CSS
// source the server compiles), reloads the page on any other change. Served only by debug
// builds in live mode.
(() => {
  const events = new EventSource(new URL("events", document.currentScript.src));
  events.onmessage = (event) => {
    const changed = new URL(event.data, location.href).pathname;
    let swapped = false;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const href = new URL(link.href, location.href);
      if (href.pathname === changed) {
        href.searchParams.set("assetlock", Date.now());
        link.href = href.href;
        swapped = true;
      }
    }
    if (!swapped) location.reload();
  };
})();
