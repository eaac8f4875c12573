// Deno's `npm:` specifiers (`npm:name@range/sub/path`, scoped names too), read the same way by the
// runner (to load `name/sub/path` from the notebook's node_modules) and the type checker.

const NPM_SPEC = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(?:@([^/]+))?(\/.*)?$/;

/** `npm:name@range/sub` -> { name, range, path: "name/sub" }; undefined for anything else. */
export function parseNpmSpecifier(spec: string): { name: string; range?: string; path: string } | undefined {
  const m = NPM_SPEC.exec(spec);
  if (!m) return undefined;
  return { name: m[1], range: m[2], path: m[1] + (m[3] ?? '') };
}
