// Names shared by the REPL transform (kernel) and the runner, kept apart from the transform
// so the runner does not load the parser just to know them.

/** The runner global that resolves `import`/`import()` of cells from the notebook's folder. */
export const IMPORT_HELPER = '__tskernel_import__';
