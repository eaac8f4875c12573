// Argument and body types of the custom attach requests and events (defined in
// attach/requests.ts, shared with the JupyterLab extension), and the detach reasons the notebook
// itself causes. The %listen/%attach/%targets/%detach magics and the attach panel send these.

export * from '../../attach/requests';

/** `detachedTarget` reasons when the notebook itself let the target go (the others are surprises). */
export const DETACHED_BY_NOTEBOOK = 'detached by the notebook';
export const KERNEL_SHUT_DOWN = 'the kernel shut down';
