// The owner's spot request: the 3×3 grid lies over the photo they chose, and shows only once one is chosen.
// Without this script the grid still works over the first photo (server/office/templates/_spot_mark.html).
for (const form of document.querySelectorAll("form.spot-form")) {
  const base = form.querySelector("img.mark-base");
  const area = form.querySelector(".mark-area-box");
  if (!base || !area) continue;
  const update = () => {
    const src = form.querySelector("input[name=spot_photo_id]:checked")?.dataset.src;
    area.hidden = !src;
    if (src) base.src = src;
  };
  form.addEventListener("change", update);
  update();
}
