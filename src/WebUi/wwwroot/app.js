// ClipSearch web UI helpers (no external scripts).

// Adds each [target, event, handler]; the handle's dispose() (called by the component that asked) removes them.
const listen = (bindings) => {
  for (const [target, event, handler] of bindings) target.addEventListener(event, handler);
  return { dispose: () => { for (const [target, event, handler] of bindings) target.removeEventListener(event, handler); } };
};

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
    return listen([[document, 'paste', handler]]);
  },

  // Shows the image chosen, dropped or pasted into a file input in an <img>, from the browser's own copy (an object URL).
  previewFrom(input, img) {
    const show = () => {
      if (img.src) URL.revokeObjectURL(img.src);
      if (input.files && input.files.length > 0 && input.files[0].type.startsWith('image/')) img.src = URL.createObjectURL(input.files[0]);
      else img.removeAttribute('src');
    };
    const broken = () => img.removeAttribute('src'); // not an image after all: the page says why
    return listen([[input, 'change', show], [img, 'error', broken]]);
  },

  // The label box of the chips: edited in the browser alone, so that no keystroke waits for (or is undone by) the
  // server. Only finished labels go to the server: the text before the last comma (typed or pasted), or the box on Enter.
  chipInput(input, component) {
    const separators = /[,;\n\r]/;
    const onInput = () => {
      const text = input.value;
      if (!separators.test(text)) return;
      let last = -1;
      for (let i = 0; i < text.length; i++) if (separators.test(text[i])) last = i;
      input.value = text.slice(last + 1).trimStart();
      component.invokeMethodAsync('AddLabelsAsync', text.slice(0, last));
    };
    const onKey = (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const text = input.value;
        input.value = '';
        if (text.trim()) component.invokeMethodAsync('AddLabelsAsync', text);
      } else if (e.key === 'Backspace' && input.value === '') {
        component.invokeMethodAsync('RemoveLastAsync');
      }
    };
    onInput(); // what was typed or pasted before the box was wired
    return listen([[input, 'input', onInput], [input, 'keydown', onKey]]);
  },
};
