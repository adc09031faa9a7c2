/**
 * QA q33b: amounts typed or pasted in another notation were stored at another size with no message
 * ("1.250.000,50" as 1.2500005, "12,5" as 125, "(1,250)" as +1,250). readAmount reads them as
 * people write them, or says it cannot.
 */
import { describe, expect, test } from 'vitest'
import { readAmount, showAmount } from '../../client/board/readAmount.ts'

const number = (value: number) => ({ kind: 'number', value })

describe('readAmount', () => {
  test.each([
    ['1.250.000,50', 'en-US', 1_250_000.5],
    ['1.250.000,50', 'de-DE', 1_250_000.5],
    ['1 250 000,50', 'fr-FR', 1_250_000.5],
    ['1\u202f250\u202f000,50', 'fr-FR', 1_250_000.5],
    ['1\u00a0250\u00a0000,50', 'en-US', 1_250_000.5],
    ["1'250'000.50", 'de-CH', 1_250_000.5],
    ['1,250,000.50', 'en-US', 1_250_000.5],
    ['1,250,000.50', 'de-DE', 1_250_000.5],
    ['1250000,50', 'de-DE', 1_250_000.5],
    ['1250000,50', 'en-US', 1_250_000.5],
    ['12,5', 'en-US', 12.5],
    ['-3,5', 'de-DE', -3.5],
    ['0,045', 'en-US', 0.045],
    ['0,045', 'de-DE', 0.045],
    ['.5', 'en-US', 0.5],
    ['(1,250)', 'en-US', -1250],
    ['(1.250,75)', 'de-DE', -1250.75],
    ['\u22124,000', 'en-US', -4000],
    ['+12', 'en-US', 12],
    ['12,50,000', 'en-IN', 1_250_000],
    ['250000', 'en-US', 250_000],
    ['0', 'en-US', 0],
    ['-0', 'en-US', 0],
  ])('%s in %s reads as %d', (text, locale, value) => {
    expect(readAmount(text, locale)).toEqual(number(value))
  })

  test('a single separator before three digits means what it means where the person is', () => {
    expect(readAmount('1,250', 'en-US')).toEqual(number(1250))
    expect(readAmount('1,250', 'de-DE')).toEqual(number(1.25))
    expect(readAmount('1.250', 'en-US')).toEqual(number(1.25))
    expect(readAmount('1.250', 'de-DE')).toEqual(number(1250))
  })

  test.each(['1,250.50 EUR', 'EUR 1.250', '45 %', '5e1', '1.2.3', '1.250.000,50,1', '()', '--5', '12,5.5,5', 'abc'])('%s is not read', (text) => {
    expect(readAmount(text, 'en-US')).toEqual({ kind: 'invalid' })
  })

  test.each(['-', '+', '(', '(1,2', '1,', '1,234,5', '1.', '.', '1 250 0', '1,250,0', '-1.'])('%s is on the way to a number', (text) => {
    expect(readAmount(text, 'en-US')).toEqual({ kind: 'partial' })
  })

  test('nothing typed is no amount', () => {
    expect(readAmount('  ', 'en-US')).toEqual({ kind: 'empty' })
  })

  test('what the field shows reads back as the same amount, in the same notation', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'en-IN']) {
      for (const value of [1_250_000.5, 1.125, 0.045, -3.5, 999_999_999_999_999, 4.251, 0.0125, 1250]) {
        expect(readAmount(showAmount(value, locale), locale)).toEqual(number(value))
      }
    }
  })
})
