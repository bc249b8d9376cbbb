// Keeping a photo's EXIF (capture time, GPS) through canvas re-encoding, which drops it:
// take the original APP1 segment, set Orientation to 1 (the pixels are upright now), unlink
// the IFD1 thumbnail (cut its bytes off when nothing else lives after them), and put the
// segment right after SOI in place of the canvas's APP0.

const SOI = 0xd8;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const TYPE_SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
const ORIENTATION = 0x0112;
const SUB_IFDS = [0x8769, 0x8825, 0xa005]; // Exif, GPS, Interoperability

// [{marker, start, end}] of the segments before the scan data.
function segments(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) throw new Error("not a JPEG");
  const found = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    if (marker === SOS) break;
    const end = at + 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
    found.push({ marker, start: at, end });
    at = end;
  }
  return found;
}

const isExif = (bytes, seg) => seg.marker === APP1 && EXIF_HEADER.every((b, i) => bytes[seg.start + 4 + i] === b);

// The TIFF body of the first EXIF APP1 segment (a copy), or null.
export function exifTiff(jpeg) {
  try {
    const seg = segments(jpeg).find((s) => isExif(jpeg, s));
    return seg ? jpeg.slice(seg.start + 10, seg.end) : null;
  } catch {
    return null;
  }
}

// Orientation set to 1, IFD1 unlinked (and cut off when safe). Returns a new TIFF body or null.
export function cleanTiff(source) {
  try {
    const tiff = source.slice();
    const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
    const little = tiff[0] === 0x49;
    const u16 = (at) => view.getUint16(at, little);
    const u32 = (at) => view.getUint32(at, little);
    let dataEnd = 8;
    const walk = (ifd, isIfd0) => {
      const count = u16(ifd);
      for (let i = 0; i < count; i += 1) {
        const entry = ifd + 2 + i * 12;
        const tag = u16(entry);
        const size = (TYPE_SIZES[u16(entry + 2)] ?? 1) * u32(entry + 4);
        if (size > 4) dataEnd = Math.max(dataEnd, u32(entry + 8) + size);
        if (isIfd0 && tag === ORIENTATION) view.setUint16(entry + 8, 1, little);
        if (SUB_IFDS.includes(tag) && u32(entry + 8) > 0) walk(u32(entry + 8), false);
      }
      dataEnd = Math.max(dataEnd, ifd + 2 + count * 12 + 4);
      return ifd + 2 + count * 12; // where the next-IFD pointer is
    };
    const next = walk(u32(4), true);
    const ifd1 = u32(next);
    view.setUint32(next, 0, little);
    return ifd1 > 0 && ifd1 >= dataEnd ? tiff.slice(0, ifd1) : tiff;
  } catch {
    return null;
  }
}

// The canvas JPEG with `tiff` as its EXIF APP1 segment, right after SOI (APP0 dropped).
export function withExif(jpeg, tiff) {
  const payload = EXIF_HEADER.length + tiff.length;
  if (payload + 2 > 0xffff) return jpeg;
  const first = segments(jpeg)[0];
  const rest = first && first.marker === APP0 ? first.end : 2;
  const out = new Uint8Array(2 + 4 + payload + jpeg.length - rest);
  out.set([0xff, SOI, 0xff, APP1, (payload + 2) >> 8, (payload + 2) & 0xff, ...EXIF_HEADER]);
  out.set(tiff, 12);
  out.set(jpeg.subarray(rest), 12 + tiff.length);
  return out;
}
