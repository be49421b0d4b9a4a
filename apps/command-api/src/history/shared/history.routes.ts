export const HISTORY_TAG = 'history';
