"""What a SysEx does to a synth (``io.sysex``): MIDI out resends only what a device lacks after a jump, and
drag-out keeps the dragged part's own messages."""

from musestudio.io.sysex import is_own_setting, is_system_reset, part_channel, settings

GS_RESET = bytes.fromhex("f04110421240007f0041f7")
GM_ON = bytes.fromhex("f07e7f0901f7")
XG_ON = bytes.fromhex("f043104c00007e00f7")
GS_LEVEL_PART_10 = bytes.fromhex("f0411042124010196403f7")  # block 0: the drum part, channel 10
GS_LEVEL_PART_11 = bytes.fromhex("f041104212401a196401f7")
XG_PAN_PART_3 = bytes.fromhex("f043104c08020e20f7")


def test_the_system_resets_are_told_from_settings():
    assert all(is_system_reset(m) for m in (GS_RESET, GM_ON, XG_ON))
    assert not any(
        is_system_reset(m) for m in (GS_LEVEL_PART_10, XG_PAN_PART_3, bytes.fromhex("f07e7f0601f7"))
    )


def test_a_parameter_message_writes_one_setting_per_value_and_others_are_their_own():
    two = bytes.fromhex("f04110421240111964400af7")  # part 1's level and the byte after it
    assert settings(two) == {
        ("roland", 0x10, 0x42, 0x40 << 14 | 0x11 << 7 | 0x19): 0x64,
        ("roland", 0x10, 0x42, (0x40 << 14 | 0x11 << 7 | 0x19) + 1): 0x40,
    }
    assert settings(XG_PAN_PART_3) == {("yamaha", 0, 0x4C, 8, 2, 0x0E): 0x20}
    odd = bytes.fromhex("f0000102f7")
    assert [is_own_setting(a) for a in settings(odd)] == [True]


def test_a_part_message_names_the_channel_of_its_part():
    assert part_channel(GS_LEVEL_PART_10) == 9
    assert part_channel(GS_LEVEL_PART_11) == 10
    assert part_channel(XG_PAN_PART_3) == 2
    assert part_channel(GS_RESET) is None and part_channel(GM_ON) is None
