// A camera photo made small enough to send from the road: about 1600 px on the long edge,
// upright, with the original capture time and GPS kept in its EXIF, plus its sha256.

import { cleanTiff, exifTiff, withExif } from "./exif-app1.js";

export const LONG_EDGE = 1600;
const QUALITY = 0.85;

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function encode(bitmap, width, height) {
  if (typeof OffscreenCanvas !== "undefined") {
    const canvas = new OffscreenCanvas(width, height);
    draw(canvas.getContext("2d"), bitmap, width, height);
    return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
  }
  const canvas = Object.assign(document.createElement("canvas"), { width, height });
  draw(canvas.getContext("2d"), bitmap, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
}

function draw(context, bitmap, width, height) {
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
}

// {blob, sha256, width, height, bytes}; throws when the file is not a readable image.
export async function shrinkPhoto(file) {
  const original = new Uint8Array(await file.arrayBuffer());
  const bitmap = await createImageBitmap(file); // applies the EXIF orientation
  const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  let jpeg;
  try {
    jpeg = new Uint8Array(await (await encode(bitmap, width, height)).arrayBuffer());
  } finally {
    bitmap.close();
  }
  const tiff = exifTiff(original);
  const cleaned = tiff && cleanTiff(tiff);
  const bytes = cleaned ? withExif(jpeg, cleaned) : jpeg;
  return {
    blob: new Blob([bytes], { type: "image/jpeg" }), sha256: await sha256Hex(bytes), width, height, bytes: bytes.length,
  };
}
