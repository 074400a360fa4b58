package viet_test

import (
	"fmt"
	"slices"

	"github.com/sotay-vn/sotay/internal/viet"
)

func ExampleFold() {
	fmt.Println(viet.Fold("  Nguyễn\u00a0Văn ĐĂNG "))
	// Output: nguyen van dang
}

func ExampleSplitName() {
	family, middle, given := viet.SplitName("Nguyễn Thị Minh Khai")
	fmt.Printf("%q %q %q\n", family, middle, given)
	// Output: "Nguyễn" "Thị Minh" "Khai"
}

func ExampleCompareNames() {
	names := []string{"Nguyễn Văn Đăng", "Trần Thị Ánh", "Lê Văn An", "Phạm Văn Ân", "Nguyễn Thị Anh"}
	slices.SortFunc(names, viet.CompareNames)
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// Lê Văn An
	// Nguyễn Thị Anh
	// Trần Thị Ánh
	// Phạm Văn Ân
	// Nguyễn Văn Đăng
}

func ExampleDetectLegacy() {
	// A name column of an old Excel file typed in TCVN3. Alone, "TrÇn Trí"
	// could be Unicode "Trí"; in a TCVN3 column it is "Trớ".
	column := []string{"Hä vµ tªn", "NguyÔn V¨n §¨ng", "Lª ThÞ Hoa", "TrÇn Trí"}
	enc := viet.DetectLegacy(column)
	fmt.Println(enc)
	for _, cell := range column {
		fmt.Println(viet.DecodeWith(cell, enc))
	}
	// Output:
	// tcvn3
	// Họ và tên
	// Nguyễn Văn Đăng
	// Lê Thị Hoa
	// Trần Trớ
}
