// Copying the listener's command or token: the async clipboard API where the page may use it
// (a secure context), else the field's own selection with execCommand('copy').

/** Copies text; true when the browser said it did. */
export async function copyText(text: string, field?: HTMLTextAreaElement | HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back */
  }
  const ta = field ?? document.createElement('textarea');
  const temporary = !field;
  if (temporary) {
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
  }
  try {
    ta.focus();
    ta.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    if (temporary) ta.remove();
  }
}
