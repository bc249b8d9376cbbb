// The phone's position while a form is open: the first fix is the start, the latest the finish.
// A poor fix (> POOR_ACCURACY_M) is a warning, never a block; no fix at all is allowed too.

export const POOR_ACCURACY_M = 100;

export class PositionTracker extends EventTarget {
  constructor() {
    super();
    this.first = null;
    this.latest = null;
    this.problem = null; // "denied" | "unavailable" | null
    this.watch = null;
  }

  start() {
    if (!("geolocation" in navigator)) {
      this.problem = "unavailable";
      this.dispatchEvent(new Event("change"));
      return this;
    }
    this.watch = navigator.geolocation.watchPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        this.latest = { lat: latitude, lon: longitude, accuracy_m: Math.round(accuracy * 10) / 10, at: position.timestamp };
        this.first ??= this.latest;
        this.problem = null;
        this.dispatchEvent(new Event("change"));
      },
      (error) => {
        this.problem = error.code === error.PERMISSION_DENIED ? "denied" : "unavailable";
        this.dispatchEvent(new Event("change"));
      },
      { enableHighAccuracy: true, maximumAge: 30000, timeout: 60000 },
    );
    return this;
  }

  stop() {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
  }
}

// What to tell the carrier about a fix: {level: "ok"|"warn"|"bad", text}.
export function describeFix(fix, problem) {
  if (fix) {
    const metres = Math.round(fix.accuracy_m);
    if (fix.accuracy_m > POOR_ACCURACY_M) {
      return { level: "warn", text: `位置の精度が低いです（誤差 約${metres} m）。空の見える所で少し待つと良くなります。このまま保存もできます。` };
    }
    return { level: "ok", text: `位置を記録しています（誤差 約${metres} m）` };
  }
  if (problem === "denied") return { level: "bad", text: "位置情報の利用が許可されていません。位置なしで保存できます（設定で許可すると記録されます）。" };
  if (problem === "unavailable") return { level: "bad", text: "位置情報を取得できません。位置なしで保存できます。" };
  return { level: "warn", text: "位置を取得しています…" };
}

// Great-circle distance in metres.
export function distanceM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(h));
}
