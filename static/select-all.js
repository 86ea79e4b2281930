// A "select all" checkbox for lists of checkboxes: a checkbox with data-select-all="NAME"
// ticks or clears every checkbox named NAME in its form. Pages work without it (their "Review
// all" buttons do the same on the server); this only shows the box and keeps it in step.
document.addEventListener("DOMContentLoaded", () => {
  for (const master of document.querySelectorAll("input[data-select-all]")) {
    const boxes = () =>
      master.form.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
    const sync = () => {
      const all = [...boxes()];
      const ticked = all.filter((box) => box.checked).length;
      master.checked = all.length > 0 && ticked === all.length;
      master.indeterminate = ticked > 0 && ticked < all.length;
    };
    master.closest("[hidden]")?.removeAttribute("hidden");
    master.addEventListener("change", () => {
      for (const box of boxes()) box.checked = master.checked;
      sync();
    });
    master.form.addEventListener("change", (event) => {
      if (event.target !== master) sync();
    });
    sync();
  }
});
