// The page's entry module: a static import, a dynamic import, and a URL to another asset.
import { greeting } from "./greet.js";
// A module of the ui-kit crate, which ships it: this app serves it, hashed, under _/ui-kit/.
import { mount } from "../_/ui-kit/js/picker.js";

const status = document.getElementById("status");
status.textContent = greeting("assetlock");
document.body.dataset.moduleRan = "yes";
const picker = document.getElementById("picker");
if (picker) mount(picker);

const logoUrl = new URL("../img/logo.svg", import.meta.url);
document.getElementById("module-logo").src = logoUrl.href;

// The import map gives this module's integrity too: a changed byte is refused, and the page
// says so instead of failing silently.
try {
  const { describe } = await import("./lazy.js");
  status.textContent += " " + describe(logoUrl.pathname);
  document.body.dataset.lazyLoaded = "yes";
} catch (error) {
  status.textContent += " The lazy module was refused: " + error.message;
  document.body.dataset.lazyLoaded = "failed";
}
