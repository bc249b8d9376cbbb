// The owner's mark on last month's photo of their requested spot: the photo (a guide thumbnail kept in
// IndexedDB, so it shows offline) with the marked cell of a 3×3 grid drawn over it.

import { guideBlob } from "../guides.js";
import { h } from "../dom.js";

export const CELLS = ["左上", "上", "右上", "左", "中央", "右", "左下", "下", "右下"];

export function spotMarkFigure({ photo_id: photoId, cell }) {
  const where = CELLS[cell] ?? "";
  const frame = h("div.spot-mark-frame", h("p.help", "写真を受け取っていません。電波のある所で「送信」を押してください。"));
  guideBlob(photoId).catch(() => null).then((blob) => {
    if (!blob) return;
    const img = h("img", { src: URL.createObjectURL(blob), alt: `所有者が印をつけた前回の写真（印: ${where}）` });
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), { once: true });
    frame.replaceChildren(img, h(`span.spot-mark-box.cell-${cell}`, { "aria-hidden": "true" }));
  });
  return h("figure.spot-mark", frame, h("figcaption", `所有者の印: 前回の写真の${where}`));
}
