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
