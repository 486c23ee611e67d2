/** Checks for the two time settings readers and operators type: a time zone and a time of day. */

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** @example isValidTimeZone('Asia/Shanghai') // true */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM`, 24-hour. @example isValidDigestTime('08:00') // true */
export function isValidDigestTime(time: string): boolean {
  return TIME_OF_DAY.test(time);
}
