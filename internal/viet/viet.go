// Package viet holds Vietnamese text rules: NFC normalisation, search folding
// (case, diacritics, đ→d), collation of personal names by given name, and
// decoding of legacy TCVN3 (ABC) and VNI text found in old office files.
//
// Text from outside (forms, spreadsheets, CSV files) goes through, in order:
//
//   - DetectLegacy once per column or file, then DecodeWith on each cell
//     (or DecodeLegacy on a lone string), to repair text typed in a legacy
//     encoding: folding or sorting undecoded text gives nonsense
//     ("Nguyeãn" folds to "nguyean");
//   - Clean, which gives the stored form (NFC, white space collapsed);
//   - Fold for the search column and NameSortKey for the sort column.
//
// All functions are safe for concurrent use.
package viet
