// Names shared by the REPL transform (kernel) and the runner, kept apart from the transform
// so the runner does not load the parser just to know them.

/** The runner global that resolves `import`/`import()` of cells from the notebook's directory. */
export const IMPORT_HELPER = '__tskernel_import__';

/**
 * The runner global cells reach for what a script cannot have itself: `import.meta` (a cell is
 * not a module) and the disposal stack of top-level `using` declarations (disposed when the cell
 * ends).
 */
export const CELL_HELPER = '__tskernel_cell__';
