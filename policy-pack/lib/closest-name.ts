import { distance } from "fastest-levenshtein";

/**
 * The name in `names` that `given` is most likely a misspelling of, for a "did you mean" hint:
 * the one at the smallest edit distance (Levenshtein, ignoring case), provided that distance is
 * at most a third of the given name's length (at least 1), so that `--stak` finds `--stack` but
 * `--yaml` does not find `--json`. A name differing only in case is always the answer. Ties go to
 * the earlier name; `undefined` when nothing is close.
 */
export function closestName(given: string, names: readonly string[]): string | undefined {
    const wanted = given.toLowerCase();
    const limit = Math.max(1, Math.floor(wanted.length / 3));
    let best: { name: string; distance: number } | undefined;
    for (const name of names) {
        const d = distance(wanted, name.toLowerCase());
        if (d <= limit && (best === undefined || d < best.distance)) {
            best = { name, distance: d };
        }
    }
    return best?.name;
}
