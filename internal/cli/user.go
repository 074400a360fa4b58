package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"usage: sotay user add --username U --unit ID --role ROLE [--member ID] [--password-stdin]"}
	}
	var f dbFlags
	fs := newFlags("user add", stderr, &f)
	username := fs.String("username", "", "the user name")
	unit := fs.String("unit", "", "the unit (id or code) where the role is held")
	role := fs.String("role", "", "admin, office, standing_committee, committee, cell_officer or member")
	memberID := fs.Int64("member", 0, "the member record this account belongs to")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" || *role == "" {
		return usageError{"--username and --role are required"}
	}
	if !*fromStdin {
		return usageError{"give the password on standard input with --password-stdin (never on the command line)"}
	}
	pw, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	pw = strings.TrimRight(pw, "\r\n")
	a, u, err := openAppAt(ctx, f, log, *unit)
	if err != nil {
		return err
	}
	defer a.Close()
	in := auth.CreateInput{Username: *username, Password: pw, Roles: []auth.Grant{{UnitID: u.ID, Role: auth.Role(*role)}}}
	if *memberID != 0 {
		in.MemberID = memberID
	}
	acc, err := a.Auth.CreateAccount(ctx, auth.SystemActor(), in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created account %s (id %d): %s on %s.\n", acc.Username, acc.ID, *role, u.Name)
	return nil
}
