// Folding for search: lower case, diacritics removed, đ→d, spaces collapsed, so "ba dinh" finds "Phường Ba Đình".
// Computed in TypeScript (not with unaccent) so it is the same on every PostgreSQL server (DESIGN.md, "search").
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Vietnamese writes the final i of an open syllable after a consonant either way ("kí"/"ký", "lí"/"lý",
// "quí"/"quý"): both spellings are correct and people type either. The search key writes them one way.
const FINAL_Y = /\b(ngh|ng|nh|kh|gh|ch|tr|th|ph|qu|[bcdghklmnrstvx])y\b/g;

/** The folded text with i/y spelling variants unified: what search columns and queries are compared in. */
export function searchKey(input: string): string {
  return foldText(input).replace(FINAL_Y, '$1i');
}
