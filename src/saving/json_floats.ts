// Whole numbers that Keras must read as floats ('1.0', not '1'): an optimizer's settings
// (learning_rate=1 is refused) and an operation's float constants (`1.0 - x` on an int
// tensor is float32 in Keras, `1 - x` int32). JSON.stringify writes 1.0 as '1', so such
// numbers are marked as strings first and floatsInJson writes the marks as floats.

/** A whole number to be written as a float: `${FLOAT_MARK}${value}`, a string until floatsInJson. */
export const FLOAT_MARK = '__tessera_float__';

/** The mark floatsInJson writes as the float `value` ('-0' keeps its sign). */
export const floatMark = (value: number): string => `${FLOAT_MARK}${Object.is(value, -0) ? '-0' : String(value)}`;

/** JSON text with the whole numbers floatMark marked written as floats ('1.0', '1e+21'). */
export function floatsInJson(text: string): string {
  return text.replace(new RegExp(`"${FLOAT_MARK}(-?\\d+)(e[+-]\\d+)?"`, 'g'), (_, digits: string, exp?: string) => (exp ? digits + exp : `${digits}.0`));
}
