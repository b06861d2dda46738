// ui-kit's module: mounts a picker on an element the page rendered with `ui_kit::picker`.
export function mount(element) {
  const today = new Date().toISOString().slice(0, 10);
  element.textContent = `ui-kit picker: ${today}`;
  element.dataset.uiKit = "mounted";
}
