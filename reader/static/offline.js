/* Save for offline, the page's side (see docs/offline.md).

   Shows the note on a page that is the copy saved on this phone, and, on a
   language's index, the "Save for offline" button with the size to download.
   The service worker is installed only when the reader presses it; removing
   the saved copy uninstalls it. Without JavaScript none of this is shown. */
"use strict";

(() => {
  const PREFIX = "reader-offline-"; // as in sw.js
  const lang = document.documentElement.lang;

  /* Put ``value`` where a text node of ``element`` says ``{name}``, isolated
     so that a number keeps its order in a right-to-left sentence. */
  function fill(element, name, value) {
    const mark = `{${name}}`;
    let slot = element.querySelector(`bdi[data-slot="${name}"]`);
    if (!slot) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode()) && !node.data.includes(mark)) {}
      slot = document.createElement("bdi");
      slot.dataset.slot = name;
      if (node) {
        const at = node.data.indexOf(mark);
        const rest = node.splitText(at);
        rest.data = rest.data.slice(mark.length);
        node.parentNode.insertBefore(slot, rest);
      } else {
        // A translation that lost its placeholder still shows the value.
        element.append(" ", slot);
      }
    }
    slot.textContent = value;
  }

  function kilobytes(bytes) {
    const kb = Math.max(1, Math.round(bytes / 1000));
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: "kilobyte" }).format(kb);
    } catch (error) {
      return `${kb} kB`;
    }
  }

  function when(iso) {
    const date = new Date(iso);
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date);
    } catch (error) {
      return date.toLocaleString();
    }
  }

  const note = document.getElementById("saved-copy");
  if (note && note.dataset.savedAt) {
    fill(note, "date", when(note.dataset.savedAt));
    note.hidden = false;
  }

  const box = document.getElementById("save-offline");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) {
    return;
  }
  const name = PREFIX + box.dataset.lang;
  const listUrl = box.dataset.list;
  const saveButton = box.querySelector(".save");
  const saved = box.querySelector(".saved");
  const removeButton = saved.querySelector(".remove");
  const saving = box.querySelector(".saving");
  const failed = box.querySelector(".failed");

  function show(state, bytes) {
    saveButton.parentNode.hidden = state === "saved";
    saveButton.disabled = state === "saving";
    saved.hidden = state !== "saved";
    saving.hidden = state !== "saving";
    failed.hidden = state !== "failed";
    if (bytes !== undefined) {
      fill(saveButton, "size", kilobytes(bytes));
      fill(saved, "size", kilobytes(bytes));
    }
    box.hidden = false;
  }

  async function savedList() {
    if (!(await caches.has(name))) {
      return null;
    }
    const response = await (await caches.open(name)).match(listUrl);
    return response ? response.json() : null;
  }

  let size;

  async function load() {
    const list = await savedList();
    const worker = await navigator.serviceWorker.getRegistration(box.dataset.scope);
    if (list && worker) {
      size = list.bytes;
      show("saved", size);
      return;
    }
    const response = await fetch(listUrl, { cache: "no-cache", credentials: "omit" });
    if (response.ok) {
      size = (await response.json()).bytes;
      show("save", size);
    }
  }

  /* Ask the service worker to save this language; resolve with its answer. */
  function ask(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({ type: "save", lang: box.dataset.lang }, [channel.port2]);
    });
  }

  saveButton.addEventListener("click", async () => {
    show("saving");
    if (navigator.storage && navigator.storage.persist) {
      // Ask the browser not to clear the copy when the phone runs short of space.
      navigator.storage.persist().catch(() => null);
    }
    try {
      await navigator.serviceWorker.register(box.dataset.worker, { scope: box.dataset.scope });
      const registration = await navigator.serviceWorker.ready;
      const answer = await ask(registration.active);
      if (!answer.ok) {
        throw new Error(answer.error);
      }
      size = answer.bytes;
      show("saved", size);
      removeButton.focus(); // the button pressed is gone: keep the reader's place
    } catch (error) {
      show("failed");
    }
  });

  removeButton.addEventListener("click", async () => {
    await caches.delete(name);
    const others = (await caches.keys()).filter((key) => key.startsWith(PREFIX));
    if (!others.length) {
      // Nothing saved any more: leave no service worker behind either.
      const registration = await navigator.serviceWorker.getRegistration(box.dataset.scope);
      if (registration) {
        await registration.unregister();
      }
    }
    show("save", size);
    saveButton.focus();
  });

  // The section is at the end of the page: ask its size only when it is seen.
  const section = box.parentNode;
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        load().catch(() => null);
      }
    });
    observer.observe(section);
  } else {
    load().catch(() => null);
  }
})();
