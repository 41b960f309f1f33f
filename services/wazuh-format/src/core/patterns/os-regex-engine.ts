import { ESC, GRP, PLUS, STAR, NONE, CLASS_TABLE, NON_ASCII_CLASSES, inClass, isRep, lower, type Alternative } from './os-regex-cells.ts';

/**
 * Runs one alternative on `s` from `base`; positions are relative to `base`. Returns the end position or NONE.
 * `cap` receives the position of every GRP cell (capture mode only).
 */
export function runAlternative(alt: Alternative, s: string, base: number, captureMode: boolean, cap: Int32Array): number {
  const P = alt.cells;
  const n = s.length - base;
  const anchoredEnd = alt.anchoredEnd;
  let pt = 0;
  let st = 0;
  let r = 0;
  let stErr = NONE;
  let rep = false;
  let bt0p = NONE, bt0s = 0, bt1p = NONE, bt1s = 0, bt2p = NONE, bt2s = 0, bt3p = NONE, bt3s = 0;
  let c: number;
  // The subject as C sees it: a 0 at the end (or at the first NUL character).
  while ((c = st < n ? s.charCodeAt(base + st) : 0) !== 0) {
    const p0 = P[pt] as number;
    if (p0 === 0) {
      if (!anchoredEnd) return r;
    } else if (p0 === GRP) {
      if (captureMode) cap[pt] = st;
      pt++;
      if (P[pt] === 0 && !anchoredEnd) return r;
    }
    const p = P[pt] as number;
    if (p === ESC) {
      const k = P[pt + 1] as number;
      const q = P[pt + 2] as number;
      if (((c < 128 ? (CLASS_TABLE[c] as number) : NON_ASCII_CLASSES) & (1 << k)) !== 0) {
        if (!isRep(q)) {
          pt += 2;
          if (stErr === NONE) stErr = st;
          r = st;
          st++;
          continue;
        }
        if (q === STAR) rep = true;
        if (rep) {
          let nx = pt + 3;
          let ok = -1;
          if (P[nx] === GRP) nx++;
          const pn = P[nx] as number;
          if (pn === 0) ok = 1;
          else if (pn === ESC) {
            if (inClass(P[nx + 1] as number, c)) ok = isRep(P[nx + 2] as number) ? 0 : 2;
          } else if (pn === lower(c)) {
            rep = false;
            ok = 1;
          }
          if (ok >= 0) {
            if (captureMode && P[nx - 1] === GRP) cap[nx - 1] = rep && ok === 1 ? st + 1 : st;
            if (pn === 0) {
              st++;
              continue;
            }
            nx += ok;
            if (bt0p === NONE) { bt0p = pt; bt0s = st; }
            else if (bt1p === NONE) { bt1p = pt; bt1s = st; }
            else if (bt2p === NONE) { bt2p = pt; bt2s = st; }
            else if (bt3p === NONE) { bt3p = pt; bt3s = st; }
            pt = nx;
          }
        } else {
          rep = true;
          if (captureMode && P[pt + 3] === GRP) cap[pt + 3] = st + 1 >= n || s.charCodeAt(base + st + 1) === 0 ? st + 1 : st;
        }
        r = st;
        st++;
        continue;
      } else if ((q === 0 || P[pt + 3] === 0) && rep && r !== NONE) {
        r = st;
        if (!anchoredEnd) return r;
      } else if (q === PLUS && rep) {
        pt += 3;
        rep = false;
        continue;
      } else if (q === STAR) {
        pt += 3;
        r = st - 1;
        rep = false;
        continue;
      }
      rep = false;
    } else if (p === lower(c)) {
      pt++;
      if (stErr === NONE) stErr = st;
      r = st;
      st++;
      continue;
    }
    // Failure: back to the newest restart point, else restart the alternative one character further.
    if (bt3p !== NONE) { pt = bt3p; st = bt3s + 1; bt3p = NONE; continue; }
    if (bt2p !== NONE) { pt = bt2p; st = bt2s + 1; bt2p = NONE; continue; }
    if (bt1p !== NONE) { pt = bt1p; st = bt1s + 1; bt1p = NONE; continue; }
    if (bt0p !== NONE) { pt = bt0p; st = bt0s + 1; bt0p = NONE; continue; }
    if (alt.anchoredStart) return NONE;
    if (stErr !== NONE) {
      st = stErr;
      stErr = NONE;
    }
    pt = 0;
    r = NONE;
    st++;
  }
  return finishAlternative(P, pt, st, r, rep, captureMode, cap);
}

/**
 * The end of runAlternative, once the subject is exhausted (also called by the generated runners of
 * os-regex-codegen.ts): whether the rest of the pattern may match nothing, and the captures of a final group.
 */
export function finishAlternative(P: Int32Array, pt: number, st: number, r: number, rep: boolean, captureMode: boolean, cap: Int32Array): number {
  // Subject exhausted.
  if (captureMode) {
    while (P[pt] === ESC && P[pt + 2] === STAR) pt += 3;
    if (P[pt] === GRP) cap[pt] = st;
  }
  // End check (mutates pt, in this order): the pattern is done, possibly after a group mark, trailing `\X*`
  // elements or the rest of a repeating `\X+`.
  if (P[pt] === GRP) pt++;
  let accept = P[pt] === 0;
  if (!accept && P[pt] === ESC && rep) {
    pt += 2;
    if (isRep(P[pt] as number)) {
      pt++;
      if (P[pt] === GRP) pt++;
      accept = P[pt] === 0;
      if (!accept && P[pt] === ESC) {
        pt += 2;
        if (P[pt] === STAR) {
          pt++;
          if (P[pt] === GRP) pt++;
          accept = P[pt] === 0;
        }
      }
    }
  }
  if (!accept && P[pt] === ESC) {
    pt += 2;
    if (P[pt] === STAR) {
      pt++;
      if (P[pt] === GRP) pt++;
      accept = P[pt] === 0;
    }
  }
  return accept ? r : NONE;
}
