"""Pure normalisers for the four basic facts (氏名・生年月日・性別・住所) and the My Number."""
