using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Pipeline.Domain;
using static MesErpStreams.Pipeline.UnitTests.TestData;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class UnitConverterTests
{
    private static readonly Material Kg = Material("RM-7", "KG", alt:
    [
        new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 },
        new UnitConversion { Unit = "BAG", Numerator = 25, Denominator = 1 },
        new UnitConversion { Unit = "LB", Numerator = 45359237, Denominator = 100000000 },
        new UnitConversion { Unit = "THR", Numerator = 1, Denominator = 3 },
    ]);

    [Theory]
    [InlineData(1500, "G", 1.5)]
    [InlineData(2, "BAG", 50)]
    [InlineData(1, "LB", 0.454)]       // 0.45359237 rounded to 3 decimals
    [InlineData(1, "THR", 0.333)]
    [InlineData(2, "THR", 0.667)]      // 0.6666… rounds up
    [InlineData(0.0005, "KG", 0.001)]  // midpoint away from zero
    [InlineData(3.25, "kg", 3.25)]     // unit codes are case-insensitive
    public void Converts_to_the_base_unit_and_rounds_explicitly(decimal qty, string unit, decimal expected)
    {
        UnitConverter.TryToBaseUnit(qty, unit, Kg, 3, MidpointRounding.AwayFromZero, out var result).Should().BeTrue();
        result.Should().Be(expected);
    }

    [Fact]
    public void Rounding_mode_is_honoured()
    {
        UnitConverter.TryToBaseUnit(0.0005m, "KG", Kg, 3, MidpointRounding.ToEven, out var even).Should().BeTrue();
        even.Should().Be(0m);
    }

    [Fact]
    public void Unit_without_conversion_is_not_convertible() =>
        UnitConverter.TryToBaseUnit(1m, "L", Kg, 3, MidpointRounding.AwayFromZero, out _).Should().BeFalse();

    [Fact]
    public void Broken_zero_factor_is_not_convertible()
    {
        var m = Material("X", "KG", alt: [new UnitConversion { Unit = "BOX", Numerator = 1, Denominator = 0 }]);
        UnitConverter.TryToBaseUnit(1m, "BOX", m, 3, MidpointRounding.AwayFromZero, out _).Should().BeFalse();
    }

    [Fact]
    public void Large_quantities_keep_full_decimal_precision()
    {
        UnitConverter.TryToBaseUnit(123456789012.345678m, "G", Kg, 6, MidpointRounding.AwayFromZero, out var r).Should().BeTrue();
        r.Should().Be(123456789.012346m);
    }
}
