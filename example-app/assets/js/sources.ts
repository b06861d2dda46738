/** What the build compiled a served file from. */
export enum Source {
  TypeScript = "TypeScript",
  Sass = "Sass",
}

/** A served file and its source language. */
export interface Compiled {
  name: string;
  from: Source;
}

/** One sentence about a compiled file, for the page. */
export function describe(file: Compiled): string {
  return `${file.name} was compiled from ${file.from} by the build.`;
}
