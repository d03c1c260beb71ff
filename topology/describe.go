package topology

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Describe writes the topology as text: stages in data order with what
// they read, write and keep, then the topics with their configs.
func (t Topology) Describe(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "ledgerline topology (app %q)\n\nStages\n", t.App)
	for _, s := range t.Stages {
		fmt.Fprintf(&b, "  %s  [%s: %s]\n", s.Name, s.Kind, s.Component)
		fmt.Fprintf(&b, "      %s\n", s.Doc)
		for _, e := range s.External {
			fmt.Fprintf(&b, "      external  %s\n", e)
		}
		for _, in := range s.Inputs {
			fmt.Fprintf(&b, "      reads     %s\n", in)
		}
		for _, g := range s.Global {
			fmt.Fprintf(&b, "      global    %s (materialised in full on every instance, versioned)\n", g)
		}
		for _, st := range s.Stores {
			fmt.Fprintf(&b, "      store     %s (Badger per partition; changelog %s): %s\n", st.Name, st.Changelog, st.Doc)
		}
		for _, out := range s.Outputs {
			fmt.Fprintf(&b, "      writes    %s\n", out)
		}
	}
	b.WriteString("\nTopics\n")
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tPARTITIONS\tCLEANUP\tRETENTION\tKEY\tVALUE")
	for _, tp := range t.Topics {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\n", tp.Name, tp.Partitions, tp.Cleanup, tp.RetentionText(), tp.Key, tp.Value)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DescribeDOT writes the topology as a Graphviz digraph: stages are boxes,
// topics ellipses (compacted ones doubled), stores cylinders.
func (t Topology) DescribeDOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph ledgerline {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	for _, tp := range t.Topics {
		shape := "ellipse"
		if tp.Cleanup == CleanupCompact {
			shape = "doublecircle"
		}
		if tp.FollowsPartitionsOf != "" {
			continue // drawn with their store
		}
		fmt.Fprintf(&b, "  %q [shape=%s, label=%s];\n", "topic:"+tp.Name, shape, dotLabel(fmt.Sprintf("%s\\n%d partitions, %s", tp.Name, tp.Partitions, tp.Cleanup)))
	}
	for _, s := range t.Stages {
		fmt.Fprintf(&b, "  %q [shape=box, style=bold, label=%s];\n", "stage:"+s.Name, dotLabel(s.Name+"\\n"+s.Component))
		for _, e := range s.External {
			fmt.Fprintf(&b, "  %q [shape=note];\n", e)
			if s.Kind == KindSink {
				fmt.Fprintf(&b, "  %q -> %q;\n", "stage:"+s.Name, e)
			} else {
				fmt.Fprintf(&b, "  %q -> %q;\n", e, "stage:"+s.Name)
			}
		}
		for _, in := range s.Inputs {
			fmt.Fprintf(&b, "  %q -> %q;\n", "topic:"+in, "stage:"+s.Name)
		}
		for _, g := range s.Global {
			fmt.Fprintf(&b, "  %q -> %q [style=dashed, label=\"global\"];\n", "topic:"+g, "stage:"+s.Name)
		}
		for _, out := range s.Outputs {
			fmt.Fprintf(&b, "  %q -> %q;\n", "stage:"+s.Name, "topic:"+out)
		}
		for _, st := range s.Stores {
			id := "store:" + s.Name + "/" + st.Name
			fmt.Fprintf(&b, "  %q [shape=cylinder, label=%s];\n", id, dotLabel(st.Name+"\\nchangelog "+st.Changelog))
			fmt.Fprintf(&b, "  %q -> %q [dir=both, style=dotted];\n", "stage:"+s.Name, id)
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotLabel quotes a label for dot, keeping \n line breaks.
func dotLabel(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
