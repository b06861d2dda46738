// The module of the compiled-sources page, written in TypeScript: the build compiles it to
// JavaScript (types removed, the enum compiled) and serves it at a hashed `.js` URL.
import { describe, Source, type Compiled } from "./sources";

const compiled: Compiled[] = [
  { name: "panel.ts", from: Source.TypeScript },
  { name: "panel.scss", from: Source.Sass },
];

const status = document.getElementById("panel-status");
if (status) {
  status.textContent = compiled.map(describe).join(" ");
}
document.body.dataset.panelRan = "yes";
