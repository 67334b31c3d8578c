// ClipSearch web UI helpers (no external scripts).
window.clipsearch = {
  // Forwards an image pasted anywhere on the page (Ctrl+V of a copied image) to a file input, as if chosen there.
  pasteInto(input) {
    const handler = (e) => {
      const files = e.clipboardData && e.clipboardData.files;
      if (!files || files.length === 0 || !files[0].type.startsWith('image/')) return;
      const transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      e.preventDefault();
    };
    document.addEventListener('paste', handler);
    return { dispose: () => document.removeEventListener('paste', handler) };
  },
};
