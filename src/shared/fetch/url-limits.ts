// How long a URL newsline accepts may be: what the API's schemas allow, and what browsers and most
// servers handle; submitted URLs beyond it are refused, discovered ones dropped.
export const MAX_URL_LENGTH = 4_096;
