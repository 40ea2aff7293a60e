namespace VaeSharp.Data;

/// <summary>What <see cref="TabularCsv"/> found a column to hold, judged by its observed cells only.</summary>
public enum ColumnKind
{
    /// <summary>Every observed cell is a number and at least one is not a whole number.</summary>
    Real,

    /// <summary>Every observed cell is a whole number: imputations are rounded.</summary>
    Integer,

    /// <summary>Text with few distinct values (at most <see cref="TabularCsv.MaxCategories"/>, each seen twice on average): imputed as a category.</summary>
    Categorical,

    /// <summary>Any other text (names, dates): passed through untouched, blanks included.</summary>
    Text,
}
