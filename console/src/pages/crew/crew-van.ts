/**
 * Of the vans the crew user is bound to, the one this phone's crew works on, remembered on the phone: a crew
 * lead has one van a day.
 */
const KEY = 'loa.crew.van';

export function rememberedVan(): string | undefined {
  return localStorage.getItem(KEY) ?? undefined;
}

export function rememberVan(vanId: string | undefined): void {
  if (vanId) localStorage.setItem(KEY, vanId);
  else localStorage.removeItem(KEY);
}
